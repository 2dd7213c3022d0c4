from __future__ import annotations

from releasegate._internal.cli import main

raise SystemExit(main())
