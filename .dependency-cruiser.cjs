/**
 * Layer rules of Keyledger (docs/architecture.md), checked by `npm run lint`. A wrong import fails
 * with the rule's name and the comment below it. The shape:
 *
 *   composition roots (src/*.ts, cli/, operations/)
 *     → features: root-keys ← tenants ← keys ← usage, audit   (through each one's index.ts)
 *       → machinery: config → projections → event-store, http
 *         → kernel: shared, columnar
 */
const FEATURES = ['root-keys', 'tenants', 'keys', 'usage', 'audit'];
const MACHINERY = ['config', 'projections', 'event-store', 'http'];
const KERNEL = ['shared', 'columnar'];
const ROOTS = ['^src/[^/]+\\.ts$', '^src/cli/', '^src/operations/'];

const folder = (names) => `^src/(${names.join('|')})/`;

/** A feature may use the features before it in FEATURES, never one after it. */
const featureOrder = FEATURES.slice(0, -1).map((feature, i) => ({
  name: `feature-order-${feature}`,
  comment: `${feature} may use only ${FEATURES.slice(0, i).join(', ') || 'no other feature'}: a feature after it in the order (${FEATURES.slice(i + 1).join(', ')}) must come to it through a port it defines.`,
  severity: 'error',
  from: { path: `^src/${feature}/` },
  to: { path: folder(FEATURES.slice(i + 1)) },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles between files.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      comment:
        "A feature's domain/ decides and folds: it imports its own domain, the shared kernel and small pure libraries, nothing else (no framework, no I/O, no other layer).",
      severity: 'error',
      from: { path: '^src/([^/]+)/domain/', pathNot: '\\.spec\\.ts$' },
      to: {
        pathNot: [
          '^src/$1/domain/',
          '^src/shared/',
          '(^|/)node_modules/(canonicalize|ipaddr\\.js)/',
        ],
      },
    },
    {
      name: 'kernel-imports-no-layer',
      comment:
        'The shared kernel (shared/, columnar/) imports no feature, no machinery and no composition root.',
      severity: 'error',
      from: { path: folder(KERNEL) },
      to: { path: '^src/', pathNot: folder(KERNEL) },
    },
    {
      name: 'machinery-imports-no-feature',
      comment:
        'The shared machinery (event store, projections, http, config) serves the features and never names one: a feature hands it what it needs (a port, a projection, a token).',
      severity: 'error',
      from: { path: folder(MACHINERY) },
      to: { path: [folder(FEATURES), ...ROOTS] },
    },
    {
      name: 'machinery-order',
      comment:
        'event-store and http stand on the kernel only; projections on the event store; config on both adapters it validates.',
      severity: 'error',
      from: { path: '^src/(event-store|http)/' },
      to: { path: '^src/(projections|config|event-store|http)/', pathNot: '^src/$1/' },
    },
    {
      name: 'projections-below-config',
      comment: 'Projections receive their settings; they never read the configuration.',
      severity: 'error',
      from: { path: '^src/projections/' },
      to: { path: '^src/(config|http)/' },
    },
    {
      name: 'feature-internals',
      comment:
        'Outside a feature, use only what it exports on purpose: its index.ts. (Its own specs may reach further, to wire real collaborators.)',
      severity: 'error',
      from: { path: '^src/([^/]+)/', pathNot: '\\.spec\\.ts$' },
      to: {
        path: folder(FEATURES),
        pathNot: ['^src/$1/', `^src/(${FEATURES.join('|')})/index\\.ts$`],
      },
    },
    {
      name: 'roots-use-feature-index',
      comment: 'A composition root wires features through what they export: their index.ts.',
      severity: 'error',
      from: { path: '^src/[^/]+\\.ts$' },
      to: { path: folder(FEATURES), pathNot: `^src/(${FEATURES.join('|')})/index\\.ts$` },
    },
    ...featureOrder,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // The fixture breaks every rule on purpose (test/architecture/layer-rules.spec.ts).
    exclude: { path: ['^(dist|dist-bench|coverage)/', '^test/architecture/fixture/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
