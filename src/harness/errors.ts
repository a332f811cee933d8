/** The environment cannot host the run (a database already in use, a cluster that is not what it should be): exit 2. */
export class EnvironmentError extends Error {}
