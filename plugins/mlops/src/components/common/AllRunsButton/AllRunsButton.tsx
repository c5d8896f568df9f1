import Button from '@material-ui/core/Button';
import ArrowBack from '@material-ui/icons/ArrowBack';

/** Leaves a run or a comparison for the runs table; nothing when there is nowhere to go. */
export function AllRunsButton(props: { onBack?: () => void }) {
  if (!props.onBack) {
    return null;
  }
  return (
    <Button startIcon={<ArrowBack />} onClick={props.onBack}>
      All runs
    </Button>
  );
}
