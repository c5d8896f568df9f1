import { makeStyles } from '@material-ui/core';
import { LogoMark } from './LogoIcon';

const useStyles = makeStyles({
  svg: {
    width: 'auto',
    height: 30,
  },
});

/** The sidebar's logo when it is open: the mark and the product's name. */
export const LogoFull = () => {
  const classes = useStyles();

  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 138 32"
      role="img"
      aria-label="MLStack"
    >
      <title>MLStack</title>
      <LogoMark />
      <text
        x="37"
        y="23.5"
        fill="#ffffff"
        fontFamily="Helvetica, Arial, sans-serif"
        fontSize="21"
        fontWeight="700"
        letterSpacing="-0.3"
      >
        ML<tspan fill="#7df3e1">Stack</tspan>
      </text>
    </svg>
  );
};
