from publisher.commands.cli import main

raise SystemExit(main())
