/** Vite handles CSS imports in the renderer; TypeScript only needs to know they exist. */
declare module '*.css';
