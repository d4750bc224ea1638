"""Judge for Alembic fixtures.

Usage: python alembic_sql.py VERSIONS_DIR

Writes a throwaway alembic.ini + env.py in a temporary directory pointing at the fixture's
versions folder and prints `alembic upgrade head --sql` for a postgresql:// URL (offline
mode: nothing connects).
"""
import os
import sys
import tempfile
import warnings

warnings.filterwarnings("ignore")

ENV_PY = '''
from alembic import context

def run_migrations_offline():
    context.configure(
        url="postgresql://judge@localhost/judge",
        target_metadata=None,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()

run_migrations_offline()
'''

MAKO = '''"""${message}"""
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
def upgrade():
    ${upgrades if upgrades else "pass"}
def downgrade():
    ${downgrades if downgrades else "pass"}
'''


def main():
    versions = os.path.abspath(sys.argv[1])
    from alembic.config import Config
    from alembic import command

    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "alembic")
        os.makedirs(script)
        with open(os.path.join(script, "env.py"), "w") as f:
            f.write(ENV_PY)
        with open(os.path.join(script, "script.py.mako"), "w") as f:
            f.write(MAKO)
        ini = os.path.join(tmp, "alembic.ini")
        with open(ini, "w") as f:
            f.write("[alembic]\nscript_location = %s\nversion_locations = %s\nsqlalchemy.url = postgresql://judge@localhost/judge\n" % (script, versions))
        cfg = Config(ini)
        command.upgrade(cfg, "head", sql=True)


if __name__ == "__main__":
    main()
