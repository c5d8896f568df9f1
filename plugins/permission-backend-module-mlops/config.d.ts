export interface Config {
  mlops?: {
    permissions?: {
      /**
       * Groups (entity refs, e.g. `group:default/platform-team`) whose members may take every
       * MLStack action (submit, stop, deploy, ...) on every entity, besides each entity's owners.
       */
      adminGroups?: string[];
    };
  };
}
