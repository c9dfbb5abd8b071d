// Lints the chat page's ES modules, which run in the browser as they are (no bundler). ESLint only
// lints below its working directory, so `npm run lint` runs it from the gateway folder.
import js from '@eslint/js';
import globals from 'globals';

export default [
  {
    files: ['wwwroot/js/**/*.js'],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: globals.browser,
    },
  },
];
