/**
 * What a profile may be called: letters, digits and . _ + @ -, up to 64, starting with a letter or
 * digit. A word in every shell and command splitter and a plain INI header, so a name can go
 * into a URL path, a credential_process command and an AWS config file as it is. In a file of its
 * own so that those places need not load the vault's schema (and zod with it).
 */
export const PROFILE_NAME = /^[A-Za-z0-9][\w.+@-]{0,63}$/;
