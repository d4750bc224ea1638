/**
 * The real SQLAlchemy projects of ../shared/corpus/sqlalchemy as the runtime-mode tests import
 * them: the venv that has their schema-shaping packages (test/oracles/python/projects-setup.sh) and,
 * for each project, the modules the harness stubs (test/oracles/sqlalchemy/project-stubs/sitecustomize.py)
 * because only the model files are in the corpus or installing them is unreasonable.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './fixtures.js';

/** The interpreter of the projects venv; built on demand locally, required under CI=true. */
export function projectsPython(): string {
  const cache = process.env.PG2TIDB_CACHE ?? join(ROOT, '.cache');
  const py = join(cache, 'venv-projects', 'bin', 'python');
  if (existsSync(py) && existsSync(join(cache, 'venv-projects', '.pg2tidb-requirements'))) return py;
  if (process.env.CI === 'true') {
    throw new Error(`the projects venv is missing (${py}); run \`bash test/oracles/python/projects-setup.sh\` before the tests`);
  }
  const out = execFileSync('bash', [join(ROOT, 'test', 'oracles', 'python', 'projects-setup.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 900_000 });
  return out.trim().split('\n').pop()!;
}

export interface Project {
  /** Folder under ../shared/corpus/sqlalchemy. */
  readonly name: string;
  /** Module prefixes stubbed when the real module cannot be found. */
  readonly stubs: readonly string[];
  /** Constants a column takes from a stubbed module, with their upstream values. */
  readonly values?: Readonly<Record<string, string>>;
  /** Stubbed names that must be real classes (functools.singledispatch registers types only). */
  readonly classes?: readonly string[];
  /** Stubbed `import_string(dotted)` helpers that must really import (a package's lazy attributes use them). */
  readonly importers?: readonly string[];
}

/** Helper packages airflow imports that shape no table: not installed. */
const AIRFLOW_HELPERS = ['structlog', 'dill', 'natsort', 'methodtools', 'lazy_object_proxy', 'kubernetes', 'opentelemetry', 'cryptography', 'pydantic', 'attrs', 'attr'];

export const PROJECTS: readonly Project[] = [
  {
    name: 'airflow',
    // only airflow/models and airflow/utils/sqlalchemy.py are in the corpus: the rest of airflow is stubbed
    stubs: ['airflow', ...AIRFLOW_HELPERS],
    values: { 'airflow.utils.span_status.SpanStatus.NOT_STARTED': 'not_started' },
    // airflow.models.Base (which callback.py imports) is a PEP 562 lazy attribute loaded through it
    importers: ['airflow.utils.module_loading.import_string'],
    classes: [
      'airflow.serialization.serialized_objects.SerializedBaseOperator',
      'airflow.sdk.BaseOperator',
      'airflow.sdk.definitions.mappedoperator.MappedOperator',
      'airflow.serialization.definitions.taskgroup.SerializedTaskGroup',
      'airflow.triggers.base.BaseTaskEndEvent',
    ],
  },
  // CTFd/models only: CTFd.cache (Flask-Caching) and CTFd.utils are stubbed; Flask-SQLAlchemy is real
  { name: 'ctfd', stubs: ['CTFd'] },
  // keystone's model files and keystone.common.sql only; oslo.db is real
  {
    name: 'keystone',
    stubs: ['keystone'],
    values: {
      'keystone.assignment.role_backends.base.NULL_DOMAIN_ID': '<<keystone.domain.root>>',
      'keystone.resource.backends.base.NULL_DOMAIN_ID': '<<keystone.domain.root>>',
    },
  },
  // mlflow's dbmodels only: mlflow.entities, mlflow.utils (enums and helpers) are stubbed
  { name: 'mlflow', stubs: ['mlflow'] },
];

/** The environment that installs the harness's stubs into the dumper's interpreter. */
export function stubEnv(p: Project, log: string): Record<string, string> {
  return {
    PYTHONPATH: join(ROOT, 'test', 'oracles', 'sqlalchemy', 'project-stubs'),
    PG2TIDB_STUB_MODULES: p.stubs.join(','),
    PG2TIDB_STUB_VALUES: JSON.stringify(p.values ?? {}),
    PG2TIDB_STUB_CLASSES: (p.classes ?? []).join(','),
    PG2TIDB_STUB_IMPORTERS: (p.importers ?? []).join(','),
    PG2TIDB_STUB_LOG: log,
  };
}
