from peaceops.cli import main

main()
