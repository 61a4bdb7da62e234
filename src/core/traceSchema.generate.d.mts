/** Types of src/core/traceSchema.generate.mjs, for the unit test that checks the generated validator is current. */
export const SCHEMA_FILE: string;
export const VALIDATOR_FILE: string;
export function validatorSource(): string;
export function writeValidator(): boolean;
