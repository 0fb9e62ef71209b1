"""ExitWatch settings, read from the environment.

Development defaults need nothing installed: no DATABASE_URL means SQLite, no
REDIS_URL means a local-memory cache and Celery tasks run in-process. A bad value
stops start-up with one line naming the variable (see exitwatch.boot). Every
variable is described in docs/configuration.md; docs/security.md says why the
security settings are what they are.
"""

# Each subject's settings are assigned once, in its own module; the order matters
# only where one reads another's value (each imports what it reads from core).
from exitwatch.settings.access import *  # noqa: F403
from exitwatch.settings.api import *  # noqa: F403
from exitwatch.settings.background import *  # noqa: F403
from exitwatch.settings.core import *  # noqa: F403
from exitwatch.settings.mirror import *  # noqa: F403
from exitwatch.settings.reports import *  # noqa: F403
from exitwatch.settings.telegram import *  # noqa: F403
from exitwatch.settings.webhooks import *  # noqa: F403
