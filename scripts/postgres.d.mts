export interface ThrowawayCluster {
  /** The superuser's URL, database `postgres`. */
  url: string;
  /** The temp folder holding the data, the socket and the server log. */
  dir: string;
  /** The server's log so far. */
  log(): string;
  /** Stops the server and removes the folder. */
  stop(): void;
}
export declare function ensureBinaries(): string;
export declare function startThrowawayCluster(options?: { quiet?: boolean }): Promise<ThrowawayCluster>;
