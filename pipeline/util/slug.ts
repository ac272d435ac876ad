/** What a slug is: lowercase letters and digits in words joined by single hyphens. */

/** `water-security`, `q3-2025`: no capitals, spaces, leading, trailing or doubled hyphens. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function isSlug(text: string): boolean {
  return SLUG_PATTERN.test(text);
}
