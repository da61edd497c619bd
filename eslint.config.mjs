// ESLint flat config: typescript-eslint's recommended rules (type-unaware, to keep it fast) everywhere,
// React's hook rules for the UI (app/, components/).
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  {
    ignores: [".next/", "node_modules/", "lib/generated/", "bench/results/", "data/", "test-results/", "playwright-report/", "e2e/.auth/", "next-env.d.ts"],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // A leading underscore marks a value dropped on purpose, e.g. a field left out of a rest spread.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["**/*.{js,mjs,cjs}"],
    languageOptions: { globals: globals.node },
  },
  {
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    ...reactHooks.configs.flat.recommended,
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      // React Compiler rule (the app does not use the compiler): flags reading window, document or the URL into state after hydration.
      "react-hooks/set-state-in-effect": "off",
      // React Compiler rule: flags Date.now() for relative times in render; those pages re-render on each refetch, when the times should move.
      "react-hooks/purity": "off",
    },
  },
);
