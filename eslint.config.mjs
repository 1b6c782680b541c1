// eslint (typescript-eslint's recommended-type-checked) over every TypeScript file of the repository; `npm test`
// runs it (`npm run lint`, cached in node_modules/.cache/eslint). Rules that fight a deliberate pattern are turned
// off below, each with its reason.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const UNTYPED_JSON_RULES = {
  '@typescript-eslint/no-explicit-any': 'off',
  '@typescript-eslint/no-unsafe-argument': 'off',
  '@typescript-eslint/no-unsafe-assignment': 'off',
  '@typescript-eslint/no-unsafe-call': 'off',
  '@typescript-eslint/no-unsafe-member-access': 'off',
  '@typescript-eslint/no-unsafe-return': 'off',
};

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'lib/generated/', 'cdktf.out/', 'docs/api/', '__tests__/consumer/app/', '**/*.js', '**/*.cjs', '**/*.mjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A leading underscore marks a parameter or binding kept on purpose (a renderer's uniform signature, a
      // destructured field left out), as tsc's noUnusedParameters already accepts.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      // Async methods implement Promise-returning interfaces (a clock's sleep, a store's get) without awaiting.
      '@typescript-eslint/require-await': 'off',
      // Regex sources become JSON-schema patterns (config/platform.schema.json) and generated shell keeps `\$`
      // inside templates: an escape kept for the reader matches the same and must not change generated text.
      'no-useless-escape': 'off',
    },
  },
  {
    // The tests probe synthesized Terraform JSON and parsed YAML as `any`, and the policy engine walks
    // synthesized Terraform JSON of every resource type: typing each probe would restate the provider schemas.
    files: ['__tests__/**/*.ts', 'lib/policy/**/*.ts'],
    rules: { ...UNTYPED_JSON_RULES, '@typescript-eslint/no-base-to-string': 'off' },
  },
);
