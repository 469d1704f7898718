import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// findBy* and waitFor wait for a condition, not for time: on a busy machine a first render of
// MUI tables can take seconds, so the limit is the test's own, not Testing Library's 1 s.
configure({ asyncUtilTimeout: 20_000 });
