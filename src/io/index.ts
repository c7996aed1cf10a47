// Filled in by the io module; see the README.
export {};
