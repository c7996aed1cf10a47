// Filled in by the train module; see the README.
export {};
