/** The preview's default port (Vite's preview port; rarely taken). */
export const DEFAULT_PORT = 4173;
