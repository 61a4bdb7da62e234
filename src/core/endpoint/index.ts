/** The model endpoint's public API: the client and the helpers other modules use. */
export { createEndpointClient } from './client';
export type { CompletionRequest, CompletionResult, EndpointClient, EndpointOptions, FinishReason, SamplingParams } from './types';
export type { PromptLogprobs } from './logprobs';
export { cutAtStop } from './stops';
export { redactUrl } from './url';
