/** The tool's version, recorded in every results document (kept equal to package.json's by a test). */
export const TOOL_VERSION = '1.0.0';
