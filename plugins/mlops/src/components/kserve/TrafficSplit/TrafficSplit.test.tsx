import { render, screen } from '@testing-library/react';
import {
  portalService,
  stoppedService,
} from '../../../__testUtils__/kserveFixtures';
import { TrafficSplit } from './TrafficSplit';

describe('TrafficSplit', () => {
  it('says a Standard service without canary sends all traffic to its deployment', () => {
    render(<TrafficSplit service={stoppedService} />);
    expect(
      screen.getByText(
        'No traffic split: Standard mode sends all traffic to the current deployment.',
      ),
    ).toBeInTheDocument();
  });

  it('does not claim all traffic goes to one deployment while a Standard canary runs', () => {
    render(<TrafficSplit service={portalService} />);
    expect(
      screen.getByText(
        'No revision traffic split: in Standard mode each canary runs as its own deployment; the shares under Models are set on a Gateway API HTTPRoute.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/sends all traffic/)).toBeNull();
  });
});
