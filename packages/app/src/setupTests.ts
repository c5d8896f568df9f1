import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The app renders whole pages in jsdom, slow on a busy 2-core machine: give findBy* queries
// and tests more time than the defaults (1 s, 5 s).
configure({ asyncUtilTimeout: 5_000 });
jest.setTimeout(30_000);
