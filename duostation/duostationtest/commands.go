package duostationtest

import (
	"github.com/rosterhq/roster/internal/fake"
)

// command returns the handler of one device command: it checks the body the document gives
// the command (none for most) and logs the command for the device.
func (s *Server) command(name string) func(c *fake.Call) {
	return func(c *fake.Call) {
		cmd := Command{Name: name}
		switch name {
		case CommandInstallApp:
			var in struct {
				AppID *int  `json:"appId"`
				VPP   *bool `json:"vpp"`
			}
			if !decode(c, &in) {
				return
			}
			if in.AppID == nil {
				badRequest(c, "The appId is required.")
				return
			}
			cmd.AppID, cmd.VPP = *in.AppID, in.VPP
		case CommandRemoveApp:
			var in struct {
				Identifier *string `json:"identifier"`
			}
			if !decode(c, &in) {
				return
			}
			if blank(in.Identifier) {
				badRequest(c, "The identifier is required.")
				return
			}
			cmd.Identifier = *in.Identifier
		case CommandSendMessage:
			var in struct {
				Message *string `json:"message"`
			}
			if !decode(c, &in) {
				return
			}
			if blank(in.Message) {
				badRequest(c, "The message is required.")
				return
			}
			cmd.Message = *in.Message
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		d, ok := s.deviceVar(c)
		if !ok {
			return
		}
		if cmd.Name == CommandInstallApp {
			if _, ok := s.st.apps[cmd.AppID]; !ok {
				badRequest(c, "The app does not exist.")
				return
			}
		}
		cmd.DeviceID = d.ID
		s.st.commands = append(s.st.commands, cmd)
		writeOK(c)
	}
}
