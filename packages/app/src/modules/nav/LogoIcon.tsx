import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: {
    width: 'auto',
    height: 28,
  },
});

/**
 * The MLStack mark: three stacked layers (data, training, serving), the top one lit.
 * Drawn on a 32 x 32 grid; `LogoFull` reuses it next to the product's name.
 */
export const LogoMark = () => (
  <>
    <path d="M16 17.5 29 24 16 30.5 3 24Z" fill="#2b7bb9" />
    <path d="M16 10.5 29 17 16 23.5 3 17Z" fill="#3fa9f5" />
    <path d="M16 3.5 29 10 16 16.5 3 10Z" fill="#7df3e1" />
    <path
      d="M11 11.8V8.2l2.5 2 2.5-2 2.5 2 2.5-2v3.6"
      fill="none"
      stroke="#171717"
      strokeWidth={1.3}
      strokeLinejoin="round"
      strokeLinecap="round"
    />
  </>
);

/** The sidebar's logo when it is collapsed. */
export const LogoIcon = () => {
  const classes = useStyles();

  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 32 32"
      role="img"
      aria-label="MLStack"
    >
      <title>MLStack</title>
      <LogoMark />
    </svg>
  );
};
