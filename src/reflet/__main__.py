from reflet.cli import main

main()
