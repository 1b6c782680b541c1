/** The directory of an absolute path. */
export const dirOf = (path: string): string => path.replace(/\/[^/]+$/, '');

/** A loopback listen address. */
export const loopback = (port: number): string => `127.0.0.1:${port}`;

/** Host-only networking: the unit may talk to loopback and nothing else. */
export const LOOPBACK_ONLY = { IPAddressDeny: ['any'], IPAddressAllow: ['localhost'] } as const;
