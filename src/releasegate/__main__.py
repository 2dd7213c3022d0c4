from __future__ import annotations

from releasegate.cli import main

raise SystemExit(main())
