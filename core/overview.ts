/** The share of projects that imitate another: the overview's "andel gjenbruk", overall and per period. */
export function reuseShare(figures: { readonly projects: number; readonly imitations: number }): number {
  return figures.projects ? figures.imitations / figures.projects : 0;
}
