/**
 * The folder-level rule of `npm run lint`, run on the application's code only: specs import
 * test/support, which imports the code under test, and that is not a dependency of the app.
 */
const base = require('./.dependency-cruiser.cjs');

module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      comment:
        'No two folders of src/ (at any depth) import each other, directly or through others: move the shared piece down, or hand it over through a port.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    ...base.options,
    exclude: { path: ['^(dist|dist-bench|coverage)/', '\\.spec\\.ts$', '^test/'] },
  },
};
