from publisher.commands.entry import console

console()
