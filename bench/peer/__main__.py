from bench.peer.compare import main

main()
