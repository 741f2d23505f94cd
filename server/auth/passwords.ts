import { hash, verify } from '@node-rs/argon2';

// argon2id (the library's default algorithm) at OWASP's baseline: 19 MiB, 2 passes. Both calls
// run on libuv's thread pool, off the event loop.
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, options);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * Hash compared against when the email is unknown, so that answer costs the same time as a
 * wrong password and timing does not tell which emails have accounts.
 */
export const decoyPasswordHash: Promise<string> = hashPassword('perso-decoy-password-never-matches');
