/** Where the add-on servers report what they do: the platform's own (JSON) log. Never credentials. */
export type ServiceLog = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
