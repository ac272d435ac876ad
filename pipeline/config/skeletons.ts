/** The skeletons `memo new` can write (templates/new/<name>.md.hbs), apart from the code that renders them. */
export const SKELETONS = ['assessment', 'memorandum'] as const;
export type SkeletonName = (typeof SKELETONS)[number];
