/** The record corpus of search delivery's tests and benchmark (see corpus.ts). */
export * from "./corpus";
export * from "./messages";
