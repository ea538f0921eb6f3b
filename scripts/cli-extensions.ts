// Commands contributed by other parts of the system (search's reindex, …),
// kept apart so the core CLI stays small.
export const commandExtensions = {};
