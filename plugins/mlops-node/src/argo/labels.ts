import { ARGO_LABELS } from './constants';

/**
 * Text made fit for a label value the way Argo's server makes user names fit
 * (`workflow/creator/creator.go`, `dnsFriendly`): characters outside [-_.a-zA-Z0-9] become
 * '-', only the last 63 characters are kept, and leading/trailing non-alphanumerics go.
 * `user:default/jane.doe` → `user-default-jane.doe`.
 */
export function toLabelValue(text: string): string {
  let value = text.replace(/[^-_.a-zA-Z0-9]/g, '-');
  if (value.length > 63) {
    value = value.slice(value.length - 63);
  }
  return value.replace(/^[^a-zA-Z0-9]*/, '').replace(/[^a-zA-Z0-9]*$/, '');
}

type Labels = Record<string, string>;

/**
 * Sets who did something the way Argo's `creator.Label` does for a request: the user label
 * from the given identity (email and preferred-username labels are dropped, MLStack has no
 * claims for them), or all of them removed when nobody is named. The action label is set with
 * `action`, removed without it.
 */
function labelIdentity(
  labels: Labels,
  keys: { user: string; email: string; preferredUsername: string },
  identity: string | undefined,
  action: string | undefined,
): Labels {
  const result = { ...labels };
  delete result[keys.email];
  delete result[keys.preferredUsername];
  const userValue = identity ? toLabelValue(identity) : '';
  if (identity && userValue) {
    result[keys.user] = userValue;
  } else {
    delete result[keys.user];
  }
  if (identity && action) {
    result[ARGO_LABELS.action] = action;
  } else {
    delete result[ARGO_LABELS.action];
  }
  return result;
}

/** `creator.LabelCreator`: who submitted the workflow. */
export function labelCreator(
  labels: Labels,
  creator: string | undefined,
): Labels {
  return labelIdentity(
    labels,
    {
      user: ARGO_LABELS.creator,
      email: ARGO_LABELS.creatorEmail,
      preferredUsername: ARGO_LABELS.creatorPreferredUsername,
    },
    creator,
    undefined,
  );
}

/** `creator.LabelActor`: who last acted on the workflow, and how (Retry, …). */
export function labelActor(
  labels: Labels,
  actor: string | undefined,
  action: string,
): Labels {
  return labelIdentity(
    labels,
    {
      user: ARGO_LABELS.actor,
      email: ARGO_LABELS.actorEmail,
      preferredUsername: ARGO_LABELS.actorPreferredUsername,
    },
    actor,
    action,
  );
}
