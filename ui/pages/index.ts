/** The app's pages, in navigation order. Each loads its code on first visit (the Graph page's editor is large). */

/** Renders a page into `root`; `signal` aborts when the user leaves it (stop timers, streams, requests). */
export type Mount = (root: HTMLElement, signal: AbortSignal) => void;

export interface Page {
  /** The URL path the server answers with index.html. */
  readonly path: string;
  readonly title: string;
  /** Also answers every path under `path` (`/containers/docker/<id>`); such pages stay out of the navigation. */
  readonly prefix?: boolean;
  load(): Promise<Mount>;
}

export const pages: readonly Page[] = [
  { path: '/', title: 'Overview', load: async () => (await import('./overview.ts')).mountOverview },
  { path: '/graph', title: 'Graph', load: async () => (await import('./graph.ts')).mountGraph },
  { path: '/alerts', title: 'Alerts', load: async () => (await import('./alerts.ts')).mountAlerts },
  { path: '/security', title: 'Security', load: async () => (await import('./security.ts')).mountSecurity },
  { path: '/targets', title: 'Targets', load: async () => (await import('./targets.ts')).mountTargets },
  { path: '/status', title: 'Status', load: async () => (await import('./status.ts')).mountStatus },
  {
    path: '/containers',
    title: 'Container',
    prefix: true,
    load: async () => (await import('./container.ts')).mountContainer,
  },
];

/** The page that answers `pathname`, if any. */
export function matchPage(pathname: string): Page | undefined {
  return pages.find((p) => p.path === pathname || (p.prefix === true && pathname.startsWith(`${p.path}/`)));
}
