export { ArtifactBrowser } from './ArtifactBrowser';
export type { ArtifactBrowserProps } from './ArtifactBrowser';
