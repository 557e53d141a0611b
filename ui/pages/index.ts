/** The app's pages, in navigation order. Each loads its code on first visit (the Graph page's editor is large). */

/** Renders a page into `root`; `signal` aborts when the user leaves it (stop timers, streams, requests). */
export type Mount = (root: HTMLElement, signal: AbortSignal) => void;

export interface Page {
  /** The URL path the server answers with index.html. */
  readonly path: string;
  readonly title: string;
  load(): Promise<Mount>;
}

export const pages: readonly Page[] = [
  { path: '/', title: 'Overview', load: async () => (await import('./overview.ts')).mountOverview },
  { path: '/graph', title: 'Graph', load: async () => (await import('./graph.ts')).mountGraph },
  { path: '/targets', title: 'Targets', load: async () => (await import('./targets.ts')).mountTargets },
  { path: '/status', title: 'Status', load: async () => (await import('./status.ts')).mountStatus },
];
