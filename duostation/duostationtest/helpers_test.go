package duostationtest_test

import "github.com/rosterhq/roster/duostation"

func deviceOf(userID int, serial string) duostation.Device {
	return duostation.Device{UserID: userID, SerialNumber: serial}
}
