// Filled in by the data module; see the README.
export {};
