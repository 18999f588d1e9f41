/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  // Synthesis tests write real cdktf.out folders; give them room on 2 cores.
  testTimeout: 60000,
  // The corpus of AWS-rule and policy checks is synthesised once per run.
  globalSetup: "<rootDir>/__tests__/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/global-teardown.ts",
  // The examples import the package by name; in tests it is the source.
  moduleNameMapper: { "^cwl-log-archive$": "<rootDir>/modules/index.ts" },
};
