/**
 * The subcommands, each `register(program)`. Add one line per subcommand module.
 */
export {};
export { register as import } from './import';
export { register as index } from './index';
export { register as search } from './search';
export { register as ask } from './ask';
export { register as run } from './run';
export { register as export } from './export';
export { register as serve } from './serve';
export { register as runs } from './runs';
export { register as score } from './score';
