import type { LineageGap } from '@mlstack/plugin-mlops-common';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { LineageGaps } from './LineageGaps';

const notServed = (n: number): LineageGap => ({
  reason: 'not-served',
  nodeId: `version:m/${n}`,
  message: `Version m v${n} is not served by any InferenceService of the entity`,
});

describe('LineageGaps', () => {
  it('lists five gaps of a reason, counts the rest, and shows them all on request', () => {
    const gaps: LineageGap[] = [
      ...Array.from({ length: 12 }, (_, i) => notServed(i + 1)),
      {
        reason: 'workflow-not-found',
        nodeId: 'workflow:w',
        message: 'Workflow w not found',
      },
    ];
    render(<LineageGaps gaps={gaps} />);
    const list = screen.getByRole('list', { name: 'Lineage gaps' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(6);
    expect(screen.getByText('Workflow w not found')).toBeInTheDocument();
    expect(screen.getByText('7 more of the same kinds')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Show all' }));
    expect(within(list).getAllByRole('listitem')).toHaveLength(13);
    expect(
      screen.queryByText(/more of the same kinds/),
    ).not.toBeInTheDocument();
  });
});
