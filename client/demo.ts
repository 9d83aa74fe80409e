// `npm run demo`: placeholder replaced below.
export async function demo(_dir: string, _print: (s: string) => void): Promise<void> {}
