/** The quick switcher's window: wide enough for a long profile name and its role, eight results tall. */
export const QUICK_SWITCHER_SIZE = { width: 560, height: 400 } as const;
