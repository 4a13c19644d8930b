export declare const SYSTEM_CHROMIUM: string;
export declare const INSTALL_HINT: string;
/** The absolute path of the Chromium executable to use; throws with INSTALL_HINT if none is found. */
export declare function findChromium(): string;
