export function withHugePages(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
