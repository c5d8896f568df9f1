import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Tables and charts from Material UI take a while to render in jsdom, all the
// more on a busy machine: give findBy* queries and tests more time.
configure({ asyncUtilTimeout: 5_000 });
jest.setTimeout(60_000);

// recharts' ResponsiveContainer measures its parent with ResizeObserver, which
// jsdom lacks; report a fixed size so charts render.
class ResizeObserverStub {
  constructor(private readonly callback: ResizeObserverCallback) {}
  observe(target: Element) {
    this.callback(
      [
        {
          target,
          contentRect: { width: 600, height: 240 } as DOMRectReadOnly,
        } as ResizeObserverEntry,
      ],
      this as unknown as ResizeObserver,
    );
  }
  unobserve() {}
  disconnect() {}
}
if (!('ResizeObserver' in globalThis)) {
  (globalThis as any).ResizeObserver = ResizeObserverStub;
}

// DependencyGraph measures each node with getBBox, which jsdom's SVG elements
// lack; report the size the workflow graph draws its nodes at.
if (!('getBBox' in window.SVGElement.prototype)) {
  Object.defineProperty(window.SVGElement.prototype, 'getBBox', {
    configurable: true,
    value: () => ({ x: 0, y: 0, width: 168, height: 34 }),
  });
}
