from zhie.cli import main

raise SystemExit(main())
