from publisher.commands.cli import console

console()
